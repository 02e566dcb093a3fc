"""Coproduce: co-produce public services with communities, and measure it."""
