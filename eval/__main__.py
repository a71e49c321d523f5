"""`python -m eval --gold FILE.jsonl [--data DIR] [--json OUT] [--report OUT.md] [--no-baseline]`."""
from eval.run import main

main()
