"""``tlsfence audit aws``: read what is deployed through boto3 and judge it with the pack's analyzers.

The audit never decides on its own: :mod:`.aws_reader` reads (paginated, one client per service and region),
:mod:`.aws_adapt` turns boto3 responses into :class:`~tlsfence.resources.Resource` objects carrying the same
Pulumi type tokens and camelCase properties the pack sees, the analyzers decide, and :mod:`.drift` lets the
live ``describe_ssl_policies`` answer override the catalog where the two disagree.
"""
