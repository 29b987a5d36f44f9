"""The pipeline's components, one module each, registered as ``metrokg_<name>_v1`` factories."""
