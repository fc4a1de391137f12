"""Writes the API's OpenAPI document, from which the web app's client types are generated.

`python -m api.openapi_export web/openapi.json`
"""

import json
import sys
from pathlib import Path

from api.app import create_app
from apptremind.settings import Settings


def main() -> None:
    document = create_app(Settings(environment="test")).openapi()
    text = json.dumps(document, indent=2, sort_keys=True) + "\n"
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
