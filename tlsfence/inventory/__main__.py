"""``python -m tlsfence.inventory``: print docs/coverage.md (``--check``: exit 1 listing unclassified tokens)."""

from __future__ import annotations

import sys

from tlsfence.inventory.classify import sdk_classified, unclassified
from tlsfence.inventory.coverage import render
from tlsfence.inventory.data import inventories
from tlsfence.inventory.sdk import installed, sdk_tokens


def main(argv: list[str]) -> int:
    """Print the page, or with ``--check`` the tokens that still need a decision."""
    if argv[:1] == ["--check"]:
        missing = [t for inv in inventories() if installed(inv.sdk)
                   for t in unclassified(sdk_classified(inv, sdk_tokens(inv.sdk)))]
        for token in missing:
            print(token)
        return 1 if missing else 0
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
