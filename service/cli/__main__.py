"""`python -m service.cli`: the keepwarm command."""

import sys

from service.cli import main

sys.exit(main())
