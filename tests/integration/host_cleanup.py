"""What tests and benchmarks leave on the host, found and removed: mounts under a directory and
cgroup trees by name (v1 hierarchies and v2).  No pytest here, so bench/ scripts use it too."""
import os


def mounts_under(prefix):
    out = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            mnt = line.split()[4]
            if mnt.startswith(prefix):
                out.append(mnt)
    return out


def cgroup_dirs(name):
    """Every cgroup directory named `name` directly under a hierarchy root (v1 and v2)."""
    found = []
    base = "/sys/fs/cgroup"
    candidates = [base] + [os.path.join(base, d) for d in os.listdir(base)]
    for root in candidates:
        p = os.path.join(root, name)
        if os.path.isdir(p):
            found.append(p)
    return found


def remove_cgroup_tree(path):
    # cgroup directories are removed bottom-up with rmdir; files inside cannot be unlinked.
    for dirpath, dirnames, _ in os.walk(path, topdown=False):
        for d in dirnames:
            try:
                os.rmdir(os.path.join(dirpath, d))
            except OSError:
                pass
    try:
        os.rmdir(path)
    except OSError:
        pass


def remove_cgroups_named(name):
    """Removes the cgroup tree `name` from every hierarchy (bottom-up rmdir; busy ones stay)."""
    for path in cgroup_dirs(name):
        remove_cgroup_tree(path)
