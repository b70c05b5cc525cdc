"""`python -m bench` runs the scenarios; `python -m bench.generate` fills the database first."""

from bench.run import main

if __name__ == "__main__":
    raise SystemExit(main())
