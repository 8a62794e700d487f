"""Reading: files and bytes in, normalised text with its blocks, sections and document facts out."""
