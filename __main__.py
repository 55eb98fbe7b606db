"""`python -m hjemmel` runs the command line."""
from hjemmel.adapters.cli import main

main()
