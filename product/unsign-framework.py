#!/usr/bin/env python3
"""Removes the JAR signatures of the two jars the JDK's own class loaders load for the console: Equinox's launcher
(java -jar) and its framework (org.eclipse.osgi). The JDK checks a signed jar's signature and digests every class
it loads from it (about 0.2 s of each console start before Equinox even starts, measured with -Xlog:class+load),
and class-data sharing never archives a signed jar's classes. The check buys nothing here: without a security
manager a signature grants nothing, and whoever can change these files could as well put an unsigned jar in their
place. Bundles, which Equinox loads itself, are left as they are (it does not check signatures unless told to).
Usage: unsign-framework.py PRODUCT_DIR (the folder holding plugins/)."""
import glob
import os
import re
import sys
import zipfile

SIGNATURE = re.compile(r"^META-INF/[^/]+\.(SF|RSA|DSA|EC)$", re.IGNORECASE)


def unsign(path):
    with zipfile.ZipFile(path) as src:
        entries = [i for i in src.infolist() if not SIGNATURE.match(i.filename)]
        if len(entries) == len(src.infolist()):
            return False
        tmp = path + ".unsigning"
        with zipfile.ZipFile(tmp, "w") as dst:
            for info in entries:
                dst.writestr(info, src.read(info.filename))
    os.replace(tmp, path)
    return True


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: unsign-framework.py PRODUCT_DIR")
    plugins = os.path.join(sys.argv[1], "plugins")
    jars = glob.glob(os.path.join(plugins, "org.eclipse.equinox.launcher_*.jar")) + glob.glob(
        os.path.join(plugins, "org.eclipse.osgi_*.jar"))
    if len(jars) != 2:
        sys.exit("unsign-framework.py: expected the launcher's and the framework's jar in %s, found %s" % (
            plugins, [os.path.basename(j) for j in jars] or "none"))
    for jar in jars:
        print("%s: %s" % (os.path.basename(jar), "signature removed" if unsign(jar) else "not signed"))


if __name__ == "__main__":
    main()
