from corpus_site.cli import main

main()
