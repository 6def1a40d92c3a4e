"""Writers: the form model (and its assessment) out to workbooks — templates,
filled forms, frozen and adopted copies — every address from a
:class:`~perfkit.layout.Layout`."""
