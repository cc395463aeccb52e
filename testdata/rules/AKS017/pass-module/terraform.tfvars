categories = ["kube-apiserver", "kube-audit-admin"]
