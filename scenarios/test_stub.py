"""bindings/aoeh.pyi names every public class, function and member the module has, and no more."""
import ast
import pathlib

import aoeh

STUB = pathlib.Path(aoeh.__file__).with_name("aoeh.pyi")
ALIASES = {"Address", "BytesLike", "DeviceState", "Direction", "EventKind", "FaultType", "IoStatus", "PortSpec",
           "Verdict", "_Frames", "__version__"}


def _stub():
    tree = ast.parse(STUB.read_text())
    names = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names[node.name] = {m.name if isinstance(m, ast.FunctionDef) else m.target.id
                                for m in node.body if isinstance(m, (ast.FunctionDef, ast.AnnAssign))}
        elif isinstance(node, ast.FunctionDef):
            names[node.name] = None
        elif isinstance(node, ast.AnnAssign):
            names[node.target.id] = None
        elif isinstance(node, ast.Assign):
            names[node.targets[0].id] = None
    return names


def test_the_stub_matches_the_module():
    stub = _stub()
    public = {k for k in dir(aoeh) if not k.startswith("_")}
    assert public - set(stub) == set(), "in the module, missing from aoeh.pyi"
    assert set(stub) - public - ALIASES == set(), "in aoeh.pyi, not in the module"
    for name, members in stub.items():
        cls = getattr(aoeh, name, None)
        if members is None or not isinstance(cls, type) or issubclass(cls, BaseException):
            continue
        have = {k for k in dir(cls) if not k.startswith("_")}
        assert have - members == set(), f"{name}: members missing from aoeh.pyi"
        assert {m for m in members if not m.startswith("_")} - have == set(), f"{name}: stub members not in the module"
