"""The nomination read model and command handling shared by the nomination and review services."""
