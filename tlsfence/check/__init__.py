"""``tlsfence check``: run a Pulumi program offline (or read CLI output) through the tlsfence pack."""
