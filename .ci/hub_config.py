"""The hub of `bash .ci/hub`: the course's settings (autograder/jupyterhub/jupyterhub_config.py) on
loopback, with local users, JupyterHub's test authenticator and the default LocalProcessSpawner.
Everything it writes lives in $RNNKIT_HUB_DIR (.ci/hub_session.py sets the variables)."""

import os

c = get_config()  # noqa: F821 - provided by traitlets
here = os.path.dirname(os.path.abspath(__file__))
load_subconfig(os.path.join(here, "..", "autograder", "jupyterhub", "jupyterhub_config.py"))  # noqa: F821

work = os.environ["RNNKIT_HUB_DIR"]
port, hub_port, api_port = (int(p) for p in os.environ["RNNKIT_HUB_PORTS"].split(","))
c.JupyterHub.bind_url = f"http://127.0.0.1:{port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = hub_port
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [os.path.join(work, "proxy", "node_modules", ".bin", "configurable-http-proxy")]
c.JupyterHub.db_url = f"sqlite:///{os.path.join(work, 'hub.sqlite')}"
c.JupyterHub.cookie_secret_file = os.path.join(work, "cookie_secret")
c.JupyterHub.pid_file = os.path.join(work, "hub.pid")

c.JupyterHub.authenticator_class = "dummy"  # a shared password: for a test on loopback only
c.DummyAuthenticator.password = os.environ["RNNKIT_HUB_PASSWORD"]
c.Authenticator.allowed_users = set(os.environ["RNNKIT_INSTRUCTORS"].split(",")) | set(
    os.environ["RNNKIT_STUDENTS"].split(","))
c.Spawner.cmd = [os.path.join(work, "venv", "bin", "jupyterhub-singleuser")]
c.Spawner.start_timeout = c.Spawner.http_timeout = 180  # a busy 2-core machine starts servers slowly
