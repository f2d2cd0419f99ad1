"""Featurize a corpus on a Dask cluster (here a LocalCluster of two worker processes on
this machine; pass your cluster's Client instead) and check that the table equals the
local run.

    python examples/dask_extract.py
"""

import sys
import tempfile

import numpy as np

import affectkit as ak

try:
    from dask.distributed import Client, LocalCluster
except ImportError:
    print("dask.distributed is not installed: this example needs it (pip install 'affectkit[dask]'); skipped")
    sys.exit(0)

if __name__ == "__main__":  # worker processes re-import this file
    folder = tempfile.mkdtemp(prefix="affectkit-example-")
    man = ak.datasets.read_manifest(ak.datasets.make_acted_corpus(80, n_speakers=4, seed=0).save(folder))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        table = ak.distributed.extract(man, ["egemaps", "mfcc"], client, chunk_size=20, progress=False)
    local = ak.features.extract(man, ["egemaps", "mfcc"])
    cols = ak.features.feature_columns(local)  # the manifest's own columns pass through too
    same = (table.shape == local.shape and table.attrs["affectkit"] == local.attrs["affectkit"]
            and np.allclose(table[cols].to_numpy(float), local[cols].to_numpy(float), equal_nan=True))
    print(f"{table.shape[0]} items x {table.shape[1]} columns on the cluster; equal to the local table: {same}")
