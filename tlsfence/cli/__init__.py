"""The ``tlsfence`` command line."""
