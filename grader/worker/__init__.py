"""Code that runs inside the student sandbox.

Nothing here may import from the rest of ``grader``: the sandbox mounts only this
package (and the empty parent ``grader/__init__.py``). Everything the worker sends
is treated by the judge as untrusted bytes and decoded by ``codec`` into plain data.
"""
