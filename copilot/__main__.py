from copilot.cli.app import main

raise SystemExit(main())
