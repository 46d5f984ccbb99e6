"""ie: statistics from Chinese government information disclosure annual reports, every value
traced to its characters in the source."""

__version__ = "0.1.0"
