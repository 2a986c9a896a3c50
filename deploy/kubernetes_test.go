package deploy_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	k8syaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"github.com/pindrift/pindrift/internal/ghfake"
)

const (
	k8sDir        = "kubernetes"
	exampleSecret = "secret.example.yaml"
)

// manifests are the Kubernetes objects under deploy/kubernetes, decoded
// strictly into their API types: an unknown or misspelled field fails.
// No OpenAPI schema is reachable offline; the typed strict decoding is the
// schema check.
type manifests struct {
	deployment *appsv1.Deployment
	service    *corev1.Service
	configMap  *corev1.ConfigMap
	secret     *corev1.Secret // the example
	pdb        *policyv1.PodDisruptionBudget
	files      map[string][]string // file -> kinds
}

func loadManifests(t *testing.T) manifests {
	t.Helper()
	m := manifests{files: map[string][]string{}}
	paths, err := filepath.Glob(filepath.Join(k8sDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		if filepath.Base(p) == "kustomization.yaml" {
			continue
		}
		r := k8syaml.NewYAMLReader(bufio.NewReader(strings.NewReader(readFile(t, p))))
		for i := 0; ; i++ {
			doc, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			if len(bytes.TrimSpace(doc)) == 0 {
				continue
			}
			var tm metav1.TypeMeta
			if err := yaml.Unmarshal(doc, &tm); err != nil {
				t.Fatalf("%s document %d: %v", p, i, err)
			}
			var obj any
			want := map[string]string{"Deployment": "apps/v1", "Service": "v1", "ConfigMap": "v1", "Secret": "v1",
				"PodDisruptionBudget": "policy/v1"}[tm.Kind]
			switch tm.Kind {
			case "Deployment":
				m.deployment = &appsv1.Deployment{}
				obj = m.deployment
			case "Service":
				m.service = &corev1.Service{}
				obj = m.service
			case "ConfigMap":
				m.configMap = &corev1.ConfigMap{}
				obj = m.configMap
			case "Secret":
				m.secret = &corev1.Secret{}
				obj = m.secret
			case "PodDisruptionBudget":
				m.pdb = &policyv1.PodDisruptionBudget{}
				obj = m.pdb
			default:
				t.Fatalf("%s document %d: kind %q is not one the test knows", p, i, tm.Kind)
			}
			if tm.APIVersion != want {
				t.Errorf("%s: %s has apiVersion %q, want %q", p, tm.Kind, tm.APIVersion, want)
			}
			if err := yaml.UnmarshalStrict(doc, obj); err != nil {
				t.Errorf("%s: %s: %v", p, tm.Kind, err)
			}
			m.files[filepath.Base(p)] = append(m.files[filepath.Base(p)], tm.Kind)
		}
	}
	if m.deployment == nil || m.service == nil || m.configMap == nil || m.secret == nil || m.pdb == nil {
		t.Fatalf("%s lacks a Deployment, Service, ConfigMap, example Secret or PodDisruptionBudget: %v", k8sDir, m.files)
	}
	return m
}

// container is the pindrift container of the Deployment.
func (m manifests) container(t *testing.T) corev1.Container {
	t.Helper()
	cs := m.deployment.Spec.Template.Spec.Containers
	if len(cs) != 1 {
		t.Fatalf("the Deployment has %d containers, want 1", len(cs))
	}
	return cs[0]
}

// secretValue is a key of the example Secret.
func (m manifests) secretValue(key string) (string, bool) {
	if v, ok := m.secret.StringData[key]; ok {
		return v, true
	}
	v, ok := m.secret.Data[key]
	return string(v), ok
}

// kustomization is the part of kustomize's Kustomization this directory
// uses, decoded strictly so that a misspelled key fails.
type kustomization struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Resources  []string `json:"resources"`
	Images     []struct {
		Name    string `json:"name"`
		NewName string `json:"newName"`
		NewTag  string `json:"newTag"`
	} `json:"images"`
}

func TestKubernetesManifests(t *testing.T) {
	m := loadManifests(t)
	pod := m.deployment.Spec.Template.Spec
	c := m.container(t)

	t.Run("kustomization lists every manifest but the example Secret", func(t *testing.T) {
		var k kustomization
		if err := yaml.UnmarshalStrict([]byte(readFile(t, filepath.Join(k8sDir, "kustomization.yaml"))), &k); err != nil {
			t.Fatalf("kustomization.yaml: %v", err)
		}
		var want []string
		for f := range m.files {
			if f != exampleSecret {
				want = append(want, f)
			}
		}
		slices.Sort(want)
		got := slices.Sorted(slices.Values(k.Resources))
		if !slices.Equal(got, want) {
			t.Errorf("kustomization.yaml resources %q, want %q", got, want)
		}
		if len(k.Images) != 1 || k.Images[0].Name != c.Image {
			t.Errorf("kustomization.yaml images %+v do not set the container's image %q", k.Images, c.Image)
		}
	})

	t.Run("two replicas, selectors agree", func(t *testing.T) {
		if r := m.deployment.Spec.Replicas; r == nil || *r != 2 {
			t.Errorf("replicas = %v, want 2", r)
		}
		labels := m.deployment.Spec.Template.Labels
		for name, sel := range map[string]map[string]string{
			"Deployment selector": m.deployment.Spec.Selector.MatchLabels,
			"Service selector":    m.service.Spec.Selector,
			"PDB selector":        m.pdb.Spec.Selector.MatchLabels,
		} {
			if len(sel) == 0 {
				t.Errorf("%s is empty", name)
			}
			for k, v := range sel {
				if labels[k] != v {
					t.Errorf("%s %s=%s does not match the pod labels %v", name, k, v, labels)
				}
			}
		}
		if mu := m.pdb.Spec.MinAvailable; mu == nil || mu.IntValue() < 1 {
			t.Errorf("the PodDisruptionBudget allows every replica down (minAvailable %v)", mu)
		}
	})

	t.Run("env comes from the server's variables and existing keys", func(t *testing.T) {
		names := serverEnvNames()
		for _, e := range c.Env {
			if !names[e.Name] {
				t.Errorf("env %s is not a variable bot serve reads", e.Name)
			}
			if e.ValueFrom == nil {
				continue
			}
			if r := e.ValueFrom.SecretKeyRef; r != nil {
				if r.Name != m.secret.Name {
					t.Errorf("env %s refers to Secret %q, not %q", e.Name, r.Name, m.secret.Name)
				}
				if _, ok := m.secretValue(r.Key); !ok {
					t.Errorf("env %s refers to key %q, which the example Secret lacks", e.Name, r.Key)
				}
			}
			if r := e.ValueFrom.ConfigMapKeyRef; r != nil {
				if _, ok := m.configMap.Data[r.Key]; r.Name != m.configMap.Name || !ok {
					t.Errorf("env %s refers to ConfigMap %s key %q, which is not shipped", e.Name, r.Name, r.Key)
				}
			}
		}
		for k, v := range m.secret.StringData {
			if !strings.Contains(v, "REPLACE") {
				t.Errorf("the example Secret's %s is not a clearly marked placeholder: it must contain REPLACE", k)
			}
		}
	})

	t.Run("private key is a read-only file from the Secret", func(t *testing.T) {
		var keyFile string
		for _, e := range c.Env {
			switch e.Name {
			case "GITHUB_APP_PRIVATE_KEY":
				t.Error("the key is in the environment (GITHUB_APP_PRIVATE_KEY); mount it as a file")
			case "GITHUB_APP_PRIVATE_KEY_FILE":
				keyFile = e.Value
			}
		}
		if keyFile == "" {
			t.Fatal("GITHUB_APP_PRIVATE_KEY_FILE is not set")
		}
		mountedSecretKey(t, m, keyFile)
		for _, vm := range c.VolumeMounts {
			if !strings.HasPrefix(keyFile, path.Clean(vm.MountPath)+"/") {
				continue
			}
			if !vm.ReadOnly {
				t.Errorf("the key's volume %s is not mounted readOnly", vm.Name)
			}
			for _, v := range pod.Volumes {
				if v.Name != vm.Name || v.Secret == nil {
					continue
				}
				if v.Secret.DefaultMode == nil || *v.Secret.DefaultMode != 0o400 {
					t.Errorf("the key's volume has defaultMode %v, want 0400", v.Secret.DefaultMode)
				}
			}
		}
		// 0400 files are root's: the kubelet adds group read for fsGroup,
		// which must be a group the container runs with.
		if psc := pod.SecurityContext; psc == nil || psc.FSGroup == nil {
			t.Error("the pod has no fsGroup: the 0400 key file would be unreadable to the server")
		}
	})

	t.Run("security context", func(t *testing.T) {
		img := parseImage(t)
		psc, sc := pod.SecurityContext, c.SecurityContext
		if psc == nil || sc == nil {
			t.Fatal("the pod or the container has no securityContext")
		}
		if !isTrue(psc.RunAsNonRoot) && !isTrue(sc.RunAsNonRoot) {
			t.Error("runAsNonRoot is not set")
		}
		if uid, _, _ := strings.Cut(img.user, ":"); psc.RunAsUser == nil || strconv.FormatInt(*psc.RunAsUser, 10) != uid {
			t.Errorf("runAsUser %v is not the image's USER %s", psc.RunAsUser, img.user)
		}
		if !isTrue(sc.ReadOnlyRootFilesystem) {
			t.Error("readOnlyRootFilesystem is not true")
		}
		if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
			t.Error("allowPrivilegeEscalation is not false")
		}
		if sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(sc.Capabilities.Add) > 0 {
			t.Errorf("capabilities %+v, want drop [ALL] and nothing added", sc.Capabilities)
		}
		for name, sp := range map[string]*corev1.SeccompProfile{"pod": psc.SeccompProfile, "container": sc.SeccompProfile} {
			if sp == nil || sp.Type != corev1.SeccompProfileTypeRuntimeDefault {
				t.Errorf("the %s's seccompProfile is %+v, want RuntimeDefault", name, sp)
			}
		}
		// A read-only root needs somewhere writable for temporary files.
		if !slices.ContainsFunc(c.VolumeMounts, func(v corev1.VolumeMount) bool { return v.MountPath == "/tmp" && !v.ReadOnly }) {
			t.Error("/tmp is not a writable volume on the read-only root")
		}
	})

	t.Run("resources", func(t *testing.T) {
		for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			req, okR := c.Resources.Requests[r]
			lim, okL := c.Resources.Limits[r]
			if !okR || !okL {
				t.Errorf("%s: request and limit must both be set", r)
				continue
			}
			if lim.Cmp(req) < 0 {
				t.Errorf("%s: limit %s below request %s", r, lim.String(), req.String())
			}
		}
	})

	t.Run("stop: termination grace covers preStop and --grace", func(t *testing.T) {
		grace := 30 * time.Second // bot serve's default
		if v, ok := flagValue(c.Args, "grace"); ok {
			d, err := time.ParseDuration(v)
			if err != nil {
				t.Fatalf("--grace %q: %v", v, err)
			}
			grace = d
		}
		var preStop time.Duration
		if c.Lifecycle != nil && c.Lifecycle.PreStop != nil && c.Lifecycle.PreStop.Sleep != nil {
			preStop = time.Duration(c.Lifecycle.PreStop.Sleep.Seconds) * time.Second
		}
		tg := pod.TerminationGracePeriodSeconds
		if tg == nil || time.Duration(*tg)*time.Second <= preStop+grace {
			t.Errorf("terminationGracePeriodSeconds %v leaves no time after preStop %s + --grace %s", tg, preStop, grace)
		}
	})

	t.Run("config file from the ConfigMap loads with the Secret's variables", func(t *testing.T) {
		cfgPath, ok := flagValue(c.Args, "config")
		if !ok {
			t.Fatalf("args %q have no --config", c.Args)
		}
		file := mountedConfigMapFile(t, m, cfgPath)
		cfg, err := loadServer(t, writeFile(t, "config.yml", file), podEnv(t, m, nil))
		if err != nil {
			t.Fatalf("the ConfigMap's %s with the Secret's variables: %v", path.Base(cfgPath), err)
		}
		if cfg.Database.Driver() != "postgres" {
			t.Errorf("two replicas run on %s, not PostgreSQL", cfg.Database.Driver())
		}
		if got := containerPort(t, c, intstr.FromString("http")); got != cfg.HTTP.Port {
			t.Errorf("the container port %d is not the configured server.port %d", got, cfg.HTTP.Port)
		}
		if got := containerPort(t, c, m.service.Spec.Ports[0].TargetPort); got != cfg.HTTP.Port {
			t.Errorf("the Service targets port %d, the server listens on %d", got, cfg.HTTP.Port)
		}
	})
}

func isTrue(b *bool) bool { return b != nil && *b }

// mountedSecretKey is the key of the shipped Secret that the pod sees at
// path, through a secret volume; it fails the test when none is there.
func mountedSecretKey(t *testing.T, m manifests, p string) string {
	t.Helper()
	for _, vm := range m.container(t).VolumeMounts {
		rel, ok := strings.CutPrefix(p, path.Clean(vm.MountPath)+"/")
		if !ok {
			continue
		}
		for _, v := range m.deployment.Spec.Template.Spec.Volumes {
			if v.Name != vm.Name || v.Secret == nil {
				continue
			}
			if v.Secret.SecretName != m.secret.Name {
				t.Fatalf("volume %s mounts Secret %q, not %q", v.Name, v.Secret.SecretName, m.secret.Name)
			}
			for _, item := range v.Secret.Items {
				if item.Path == rel {
					if _, ok := m.secretValue(item.Key); !ok {
						t.Fatalf("%s is the Secret's key %q, which the example Secret lacks", p, item.Key)
					}
					return item.Key
				}
			}
			if len(v.Secret.Items) == 0 {
				if _, ok := m.secretValue(rel); ok {
					return rel
				}
			}
		}
	}
	t.Fatalf("nothing from the Secret %s is mounted at %s", m.secret.Name, p)
	return ""
}

// containerPort resolves a probe's or Service's port against the container.
func containerPort(t *testing.T, c corev1.Container, p intstr.IntOrString) int {
	t.Helper()
	if p.Type == intstr.Int {
		return p.IntValue()
	}
	for _, cp := range c.Ports {
		if cp.Name == p.StrVal {
			return int(cp.ContainerPort)
		}
	}
	t.Fatalf("port %q is not a named port of the container", p.StrVal)
	return 0
}

// mountedConfigMapFile is the ConfigMap data that the pod sees at path.
func mountedConfigMapFile(t *testing.T, m manifests, p string) string {
	t.Helper()
	c := m.container(t)
	for _, vm := range c.VolumeMounts {
		if path.Dir(p) != path.Clean(vm.MountPath) {
			continue
		}
		for _, v := range m.deployment.Spec.Template.Spec.Volumes {
			if v.Name != vm.Name || v.ConfigMap == nil {
				continue
			}
			if v.ConfigMap.Name != m.configMap.Name {
				t.Fatalf("volume %s mounts ConfigMap %q, not the shipped %q", v.Name, v.ConfigMap.Name, m.configMap.Name)
			}
			data, ok := m.configMap.Data[path.Base(p)]
			if !ok {
				t.Fatalf("%s is mounted from ConfigMap %s, which has no key %s", p, m.configMap.Name, path.Base(p))
			}
			return data
		}
	}
	t.Fatalf("no ConfigMap volume is mounted at %s", path.Dir(p))
	return ""
}

// podEnv is the environment the pod gets, with the example Secret's
// placeholders that cannot work (the App id and key) replaced by test
// values, and then overrides.
func podEnv(t *testing.T, m manifests, overrides map[string]string) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, e := range m.container(t).Env {
		switch {
		case e.ValueFrom == nil:
			env[e.Name] = e.Value
		case e.ValueFrom.SecretKeyRef != nil:
			v, _ := m.secretValue(e.ValueFrom.SecretKeyRef.Key)
			env[e.Name] = v
		case e.ValueFrom.ConfigMapKeyRef != nil:
			env[e.Name] = m.configMap.Data[e.ValueFrom.ConfigMapKeyRef.Key]
		}
	}
	env["GITHUB_APP_INTEGRATION_ID"] = "42"
	// The key file the pod reads from its Secret volume, with a real key.
	if path, ok := env["GITHUB_APP_PRIVATE_KEY_FILE"]; ok {
		if key := mountedSecretKey(t, m, path); key != "private-key" {
			t.Errorf("GITHUB_APP_PRIVATE_KEY_FILE %s is the Secret's %q, not its private-key", path, key)
		}
		env["GITHUB_APP_PRIVATE_KEY_FILE"] = writeFile(t, "private-key.pem", testKey(t))
	}
	for k, v := range overrides {
		env[k] = v
	}
	return env
}

// TestKubernetesProbesAnswer runs the built binary as the pod would (its
// args, the ConfigMap's file, the Secret's variables) against a fake
// GitHub, and asks the startup, liveness and readiness probes' paths on
// the container port. The database is PostgreSQL when
// PINDRIFT_TEST_DATABASE_URL is set, otherwise SQLite; the listening port
// is a free one.
func TestKubernetesProbesAnswer(t *testing.T) {
	m := loadManifests(t)
	c := m.container(t)
	bin := bot(t)

	gh := ghfake.New(t)
	gh.SetAppKey(testPublicKey(t)) // the JWT must be signed with the key file's key
	port := freePort(t)
	cfgPath, _ := flagValue(c.Args, "config")
	dir := t.TempDir()
	local := filepath.Join(dir, path.Base(cfgPath))
	if err := os.WriteFile(local, []byte(mountedConfigMapFile(t, m, cfgPath)), 0o600); err != nil {
		t.Fatal(err)
	}
	db := os.Getenv("PINDRIFT_TEST_DATABASE_URL")
	if db == "" {
		db = "sqlite://" + filepath.Join(dir, "pindrift.db")
	}
	env := podEnv(t, m, map[string]string{
		"PINDRIFT_DATABASE_URL":   db,
		"PINDRIFT_SERVER_PORT":    strconv.Itoa(port),
		"PINDRIFT_SERVER_ADDRESS": "127.0.0.1",
		// The shipped 0.0.0.0:9464 would collide with other tests' servers.
		"PINDRIFT_METRICS_ADDRESS": "127.0.0.1",
		"PINDRIFT_METRICS_PORT":    strconv.Itoa(freePort(t)),
		"GITHUB_WEB_URL":           gh.URL(),
		"GITHUB_V3_API_URL":        gh.APIURL(),
	})
	args := slices.Clone(c.Args)
	for i, a := range args {
		if a == cfgPath {
			args[i] = local
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 40 * time.Second
	cmd.Env = cleanEnv()
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cancel()
		if err := <-exited; err != nil && ctx.Err() == nil {
			t.Errorf("bot serve: %v", err)
		}
		if t.Failed() {
			t.Logf("bot serve's log:\n%s", logs.String())
		}
	})

	base := "http://127.0.0.1:" + strconv.Itoa(port)
	probes := map[string]*corev1.Probe{"startup": c.StartupProbe, "liveness": c.LivenessProbe, "readiness": c.ReadinessProbe}
	want := map[string]string{"liveness": "/healthz", "readiness": "/readyz", "startup": "/healthz"}
	// Wait for the server as the startup probe would, within its budget.
	sp := c.StartupProbe
	if sp == nil || sp.HTTPGet == nil {
		t.Fatal("no HTTP startup probe")
	}
	budget := time.Duration(sp.PeriodSeconds*sp.FailureThreshold) * time.Second
	deadline := time.Now().Add(budget)
	for {
		if code, _ := get(base + sp.HTTPGet.Path); code == http.StatusOK {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("bot serve exited before answering: %v\n%s", err, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("bot serve did not answer %s within the startup probe's %s", sp.HTTPGet.Path, budget)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for name, p := range probes {
		if p == nil || p.HTTPGet == nil {
			t.Errorf("no HTTP %s probe", name)
			continue
		}
		if p.HTTPGet.Path != want[name] {
			t.Errorf("the %s probe asks %s, want %s", name, p.HTTPGet.Path, want[name])
		}
		// The probe's port is the container port; the test's server
		// listens on a free port instead, so only the name is resolved.
		if got := containerPort(t, c, p.HTTPGet.Port); got != containerPort(t, c, intstr.FromString("http")) {
			t.Errorf("the %s probe asks port %d, not the server's", name, got)
		}
		// /healthz answers from the first second, /readyz once GitHub has
		// answered: ask as the kubelet does, every period until the
		// probe's failure threshold.
		budget := time.Duration(max(p.PeriodSeconds, 1)*max(p.FailureThreshold, 1)) * time.Second
		code, body := get(base + p.HTTPGet.Path)
		for end := time.Now().Add(budget); code != http.StatusOK && time.Now().Before(end); {
			time.Sleep(100 * time.Millisecond)
			code, body = get(base + p.HTTPGet.Path)
		}
		if code != http.StatusOK {
			t.Errorf("the %s probe's %s answered %d within %s: %s", name, p.HTTPGet.Path, code, budget, body)
		}
	}
	// The image's HEALTHCHECK and Compose's healthcheck, run as Docker
	// runs them: in the container's environment, where the server
	// listens on the port they ask.
	proj, err := loadCompose(t, composeEnv(t))
	if err != nil {
		t.Fatal(err)
	}
	app, err := proj.GetService(appService)
	if err != nil {
		t.Fatal(err)
	}
	img := parseImage(t)
	if img.health == nil || app.HealthCheck == nil {
		t.Fatal("the image or the Compose service has no health check")
	}
	for what, test := range map[string][]string{dockerfilePath + " HEALTHCHECK": img.health.Test, composeFile + " healthcheck": app.HealthCheck.Test} {
		args := healthArgs(t, what, test, img.binary)
		hc := exec.Command(bin, args...)
		hc.Env = append(cleanEnv(), "PINDRIFT_SERVER_PORT="+strconv.Itoa(port))
		out, err := hc.CombinedOutput()
		if err != nil || !strings.HasPrefix(string(out), "ready") {
			t.Errorf("%s: bot %s: %v, %q; want exit 0 and ready", what, strings.Join(args, " "), err, out)
		}
	}
	if rss, ok := vmRSS(cmd.Process.Pid); ok {
		t.Logf("bot serve idle: %s", rss)
	}
}

func get(url string) (int, string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err.Error()
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// cleanEnv is the process environment without GitHub or pindrift
// settings, which would override the configuration under test.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GITHUB_") || strings.HasPrefix(kv, "PINDRIFT_") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// vmRSS reads a process's resident set size and its peak from /proc.
func vmRSS(pid int) (string, bool) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "", false
	}
	var parts []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmRSS:") || strings.HasPrefix(line, "VmHWM:") {
			parts = append(parts, strings.Join(strings.Fields(line), " "))
		}
	}
	return strings.Join(parts, ", "), len(parts) > 0
}
