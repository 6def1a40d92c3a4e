"""perfkit: 预算绩效自评表与绩效评价指标体系 — scoring, templates, validation.

The core never imports xlwings; ``udfs`` and ``macros`` are the Excel adapters.
"""

__version__ = "0.1.0"
