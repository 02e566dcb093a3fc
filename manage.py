#!/usr/bin/env python
"""Django's command-line utility; the installed ``coproduce`` script does the same."""

from coproduce.cli import main

if __name__ == "__main__":
    main()
