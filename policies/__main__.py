"""tlsfence CrossGuard policy pack (written by `tlsfence pack`; the rules live in the tlsfence package).

    pulumi preview --policy-pack <this directory>    # run from the Pulumi project to check
    pulumi policy publish <org>                      # run from this directory: upload to Pulumi Cloud

Configuration, policies and levels: https://github.com/tlsfence/tlsfence/blob/main/docs/policy-pack.md
Constructing the pack serves gRPC and blocks, so it happens only when the language host runs this file.
"""

from tlsfence.policy.engine import serve

if __name__ == "__main__":
    serve()
