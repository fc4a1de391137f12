"""The Temporal adapter: the one part of `apptremind` that speaks to Temporal.

Connecting (`client`), starting the workflows events trigger and changing an appointment
through its workflow's updates (`appointments`, `emails`). Domain modules call these typed
helpers and never import `temporalio` themselves; the import rules are tested in
tests/test_layers.py.
"""
