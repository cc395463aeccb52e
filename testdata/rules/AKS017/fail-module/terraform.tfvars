categories = ["kube-apiserver", "kube-controller-manager"]
