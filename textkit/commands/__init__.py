"""One module per subcommand (or family of them); ``textkit.cli`` registers them."""
