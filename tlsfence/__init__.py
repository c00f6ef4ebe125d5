"""tlsfence: keep TLS endpoints in line with a payment partner's transport requirement.

The decision core (profiles, catalogs, analyzers, verdicts) imports no provider SDK; only
``tlsfence.components`` imports ``pulumi_aws`` / ``pulumi_gcp``.
"""

__version__ = "0.1.0"
