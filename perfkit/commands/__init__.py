"""Sub-commands of the ``perfkit`` command line (see perfkit.cli)."""
