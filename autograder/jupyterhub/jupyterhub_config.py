"""JupyterHub settings for the RNN course: one instructor (or a few), many students.

Start from your hub's own configuration and add these lines. They assume DockerSpawner or
KubeSpawner with a shared volume mounted at /srv/nbgrader/exchange in every user's server.
"""

c = get_config()  # noqa: F821 - provided by traitlets

course = "rnn-course"
instructors = {"instructor1"}  # hub user names of the teaching staff

# nbgrader's access model: the formgrader group may grade, the course group may fetch and submit.
c.JupyterHub.load_groups = {
    f"formgrade-{course}": {"users": sorted(instructors)},
    f"nbgrader-{course}": {"users": []},  # add students here, or through the hub's admin page
}
c.JupyterHub.load_roles = [
    {"name": "instructor", "groups": [f"formgrade-{course}"], "scopes": ["admin:users", "admin:servers"]},
]
# Every server sees the exchange; the instructor's also sees the course repository.
c.Spawner.environment = {"RNNKIT_EXCHANGE": "/srv/nbgrader/exchange"}
