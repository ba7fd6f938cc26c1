"""New-word discovery: words of a corpus that the dictionary lacks, for a user dictionary."""
