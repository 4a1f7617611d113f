"""The organisation tree: bureaus, centres, stations, institutions and agencies."""
