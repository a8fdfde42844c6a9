from masarat.cli import main

main()
