"""`python -m tutor` does what the `dltutor` command does."""

from tutor.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
