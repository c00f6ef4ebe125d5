"""CrossGuard rules for tlsfence: config schema, conversion from pulumi-policy values, rules, engine driver.

Importing this package never constructs a ``PolicyPack`` (that starts a gRPC server and blocks); only
``policies/__main__.py`` does.
"""
