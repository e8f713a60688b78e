"""The pure domain: deciders and folds over facts. Imports only the Python standard library."""
