"""Files: reading, saving, fingerprint, lock, journal, review file, samples, exchange."""
