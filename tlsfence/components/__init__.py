"""Components that can only build conforming HTTPS front doors on AWS and Google Cloud.

Import the cloud you need: ``from tlsfence.components.aws import HttpsLoadBalancer`` or
``from tlsfence.components.gcp import ServerlessFront``. This package itself imports no provider SDK, so
``tlsfence.components.base`` (the shared decision helpers and :class:`ComponentConfigError`) stays cheap.

Every component decides its TLS setting with the same core the policy pack and ``tlsfence check`` use
(``tlsfence.catalog``, ``tlsfence.catalog_models``, ``tlsfence.verdicts``), refuses a nonconforming setting
at construction, and exports ``endpoint``, ``setting``, ``protocols``, ``suites``, ``verdict`` and ``excess``.
"""
