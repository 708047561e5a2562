from baogao.cli import main

raise SystemExit(main())
