"""The coverage inventory: every resource type token of the installed Pulumi SDKs, and what tlsfence does with it.

Data (``tlsfence/catalogs/inventory/<sdk>.json``, one file per SDK: adding an SDK is a data change) names the
services that can serve clients over HTTP(S)/TLS, with a source, and classifies each of their tokens that no
analyzer judges: *managed endpoint*, *plaintext*, *pass-through*, *internal only* or *no client endpoint*.
*Analyzed* is never written down: it is read from the analyzer registry. Modules:

- :mod:`tlsfence.inventory.sdk` reads the tokens an installed SDK defines (without importing it);
- :mod:`tlsfence.inventory.data` loads the classification data;
- :mod:`tlsfence.inventory.fallback` is the runtime side: a token the data marks as serving clients but no analyzer
  judges (or an unclassified token of such a service) still gets a finding, so the pack fails closed;
- :mod:`tlsfence.inventory.classify` joins SDK, data and registry (tests and docs);
- :mod:`tlsfence.inventory.coverage` renders ``docs/coverage.md`` (``python -m tlsfence.inventory``).

This package's ``__init__`` imports nothing, so the analyzer registry can import the fallback without a cycle.
"""
