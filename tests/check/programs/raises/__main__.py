"""A program that fails before registering anything useful: check must exit 2 and show this message."""

import pulumi

config = pulumi.Config()
raise ValueError(f"tlsfence:domain is required (got {config.get('domain')!r})")
