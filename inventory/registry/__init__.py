"""The registry: the network's mutuals and organizations, sign-ups, and the reads and filters of the
public pages."""
