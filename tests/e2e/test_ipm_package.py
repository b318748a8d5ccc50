"""The IPM package (ipm/): module.xml is well-formed and names an IPM module whose resources
exist; the ObjectScript classes declare the class names their paths promise. Needs no server."""

import os
import re
import xml.etree.ElementTree as ET

from conftest import REPO_ROOT

IPM = os.path.join(REPO_ROOT, "ipm")


def test_module_xml_is_well_formed_and_complete():
    root = ET.parse(os.path.join(IPM, "module.xml")).getroot()
    assert root.tag == "Export"
    doc = root.find("Document")
    assert doc is not None and doc.get("name") == "iris-pgwire.ZPM"
    module = doc.find("Module")
    assert module.findtext("Name") == "iris-pgwire"
    assert re.fullmatch(r"\d+\.\d+\.\d+", module.findtext("Version"))
    assert module.findtext("Packaging") == "module"
    sources = os.path.join(IPM, module.findtext("SourcesRoot"))
    packages = [r.get("Name") for r in module.findall("Resource")]
    assert packages == ["IrisPgwire.PKG"]
    pkg_dir = os.path.join(sources, "IrisPgwire")
    classes = sorted(f[:-4] for f in os.listdir(pkg_dir) if f.endswith(".cls"))
    invoked = {i.get("Class") for i in module.findall("Invoke")}
    assert invoked <= {f"IrisPgwire.{c}" for c in classes}, "Invoke names a class not shipped"
    for copy in module.findall("FileCopy"):
        assert os.path.isdir(os.path.join(IPM, copy.get("Name"))), copy.get("Name")


def test_classes_declare_their_names_and_methods():
    pkg_dir = os.path.join(IPM, "src", "IrisPgwire")
    methods = {}
    for name in os.listdir(pkg_dir):
        with open(os.path.join(pkg_dir, name)) as f:
            text = f.read()
        m = re.search(r"^Class (\S+) Extends", text, re.M)
        assert m and m.group(1) == "IrisPgwire." + name[:-4], name
        assert text.count("{") == text.count("}"), f"unbalanced braces in {name}"
        methods[name[:-4]] = set(re.findall(r"^ClassMethod (\w+)\(", text, re.M))
    assert {"Start", "Stop", "Status"} <= methods["Service"]
    assert "Setup" in methods["Installer"]
