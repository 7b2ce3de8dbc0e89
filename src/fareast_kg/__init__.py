"""Far East KG: a knowledge graph of one Valdai paper on the Russian Far East, with a SPARQL endpoint."""

__version__ = "0.1.0"
