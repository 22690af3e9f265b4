"""External SPARQL stores: the protocol client, the backend that runs jobs there, and the loader."""
