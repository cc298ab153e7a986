package infra

import (
	"fmt"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Engine is a database the app can be given.
type Engine string

// The engines.
const (
	MongoDB Engine = "mongodb"
	Redis   Engine = "redis"
)

// engineSpec is what differs between the engines.
type engineSpec struct {
	port      int
	mountPath string
	args      []string
	envVar    string // the app's variable
	url       func(host string, port int) string
}

var engines = map[Engine]engineSpec{
	MongoDB: {port: 27017, mountPath: "/data/db", args: []string{"--bind_ip_all"}, envVar: "MONGODB_URI",
		url: func(h string, p int) string { return fmt.Sprintf("mongodb://%s:%d/", h, p) }},
	Redis: {port: 6379, mountPath: "/data", args: []string{"--appendonly", "yes", "--save", ""}, envVar: "REDIS_URL",
		url: func(h string, p int) string { return fmt.Sprintf("redis://%s:%d/0", h, p) }},
}

// DatabaseArgs configure a single-replica database StatefulSet.
type DatabaseArgs struct {
	App          string // the app it belongs to (app.kubernetes.io/part-of; object names are APP-ENGINE)
	Namespace    string
	Engine       Engine
	Image        string
	Storage      string // volume claim size, e.g. 1Gi
	StorageClass string // "" = the cluster's default
	// DeleteData deletes the volume claim with the stack (`jac destroy --delete-data`);
	// by default the claim is retained (Pulumi RetainOnDelete) and the next deploy
	// of the app binds it again.
	DeleteData bool
}

// Database is a headless Service, the data's PersistentVolumeClaim and a
// single-replica StatefulSet using it.
type Database struct {
	pulumi.ResourceState

	Service     *corev1.Service
	Claim       *corev1.PersistentVolumeClaim
	StatefulSet *appsv1.StatefulSet

	// URL is the connection URL for the app (MONGODB_URI / REDIS_URL), known
	// before the objects exist.
	URL string
	// EnvVar is the app's variable that takes URL.
	EnvVar string
}

// DatabaseName is the object name of an app's database.
func DatabaseName(app string, e Engine) string { return app + "-" + string(e) }

// ClaimName is the PersistentVolumeClaim of an app's database: the name the
// StatefulSet controller gives the claim of pod 0 from the "data" claim template,
// so that the controller uses the stack's claim (and a claim created by an earlier
// version, which declared no claim of its own, is adopted).
func ClaimName(app string, e Engine) string { return "data-" + DatabaseName(app, e) + "-0" }

// DatabaseURL is the in-cluster URL of an app's database.
func DatabaseURL(app, ns string, e Engine) string {
	sp := engines[e]
	// The headless Service's name resolves to the single pod.
	host := fmt.Sprintf("%s-0.%s.%s.svc.cluster.local", DatabaseName(app, e), DatabaseName(app, e), ns)
	return sp.url(host, sp.port)
}

// NewDatabase registers the database's objects.
func NewDatabase(ctx *pulumi.Context, name string, a *DatabaseArgs, opts ...pulumi.ResourceOption) (*Database, error) {
	if a == nil || a.App == "" || a.Namespace == "" || a.Image == "" {
		return nil, fmt.Errorf("infra.NewDatabase: App, Namespace and Image are required")
	}
	sp, ok := engines[a.Engine]
	if !ok {
		return nil, fmt.Errorf("infra.NewDatabase: unknown engine %q", a.Engine)
	}
	storage := a.Storage
	if storage == "" {
		storage = "1Gi"
	}
	c := &Database{URL: DatabaseURL(a.App, a.Namespace, a.Engine), EnvVar: sp.envVar}
	if err := ctx.RegisterComponentResource("jac:infra:Database", name, c, opts...); err != nil {
		return nil, err
	}
	child := []pulumi.ResourceOption{pulumi.Parent(c)}
	objName := DatabaseName(a.App, a.Engine)
	labels := Labels(string(a.Engine), objName, "database", a.App)
	sel := selector(labels)

	var err error
	c.Service, err = corev1.NewService(ctx, name+"-service", &corev1.ServiceArgs{
		Metadata: meta(objName, a.Namespace, labels),
		Spec: &corev1.ServiceSpecArgs{
			ClusterIP: pulumi.String("None"), // headless: stable per-pod DNS names
			Selector:  pulumi.ToStringMap(sel),
			Ports: corev1.ServicePortArray{corev1.ServicePortArgs{
				Name: pulumi.String(string(a.Engine)), Port: pulumi.Int(sp.port), TargetPort: pulumi.Int(sp.port), Protocol: pulumi.String("TCP"),
			}},
		},
	}, child...)
	if err != nil {
		return nil, err
	}

	pvc := &corev1.PersistentVolumeClaimSpecArgs{
		AccessModes: pulumi.StringArray{pulumi.String("ReadWriteOnce")},
		Resources: &corev1.VolumeResourceRequirementsArgs{
			Requests: pulumi.StringMap{"storage": pulumi.String(storage)},
		},
	}
	if a.StorageClass != "" {
		pvc.StorageClassName = pulumi.String(a.StorageClass)
	}
	// The claim is the stack's own object so that `jac destroy` keeps it (retained:
	// the engine forgets it without deleting it) and, with --delete-data, deletes it
	// even in a namespace the stack does not own. Creating it is a server-side apply,
	// so a retained claim is taken over again as it is, bound to the same volume.
	c.Claim, err = corev1.NewPersistentVolumeClaim(ctx, name+"-claim", &corev1.PersistentVolumeClaimArgs{
		Metadata: meta(ClaimName(a.App, a.Engine), a.Namespace, labels),
		Spec:     pvc,
	}, append(child, pulumi.RetainOnDelete(!a.DeleteData))...)
	if err != nil {
		return nil, err
	}
	args := pulumi.StringArray{}
	for _, s := range sp.args {
		args = append(args, pulumi.String(s))
	}
	c.StatefulSet, err = appsv1.NewStatefulSet(ctx, name+"-statefulset", &appsv1.StatefulSetArgs{
		Metadata: meta(objName, a.Namespace, labels),
		Spec: &appsv1.StatefulSetSpecArgs{
			ServiceName: pulumi.String(objName),
			Replicas:    pulumi.Int(1),
			Selector:    &metav1.LabelSelectorArgs{MatchLabels: pulumi.ToStringMap(sel)},
			// The controller never deletes the claim; the stack decides (above).
			PersistentVolumeClaimRetentionPolicy: &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicyArgs{
				WhenDeleted: pulumi.String("Retain"), WhenScaled: pulumi.String("Retain"),
			},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: pulumi.ToStringMap(labels)},
				Spec: &corev1.PodSpecArgs{
					Containers: corev1.ContainerArray{corev1.ContainerArgs{
						Name:  pulumi.String(string(a.Engine)),
						Image: pulumi.String(a.Image),
						Args:  args,
						Ports: corev1.ContainerPortArray{corev1.ContainerPortArgs{
							Name: pulumi.String(string(a.Engine)), ContainerPort: pulumi.Int(sp.port), Protocol: pulumi.String("TCP"),
						}},
						ReadinessProbe: &corev1.ProbeArgs{
							TcpSocket:           &corev1.TCPSocketActionArgs{Port: pulumi.Int(sp.port)},
							InitialDelaySeconds: pulumi.Int(5), PeriodSeconds: pulumi.Int(10),
						},
						VolumeMounts: corev1.VolumeMountArray{corev1.VolumeMountArgs{
							Name: pulumi.String("data"), MountPath: pulumi.String(sp.mountPath),
						}},
					}},
				},
			},
			VolumeClaimTemplates: corev1.PersistentVolumeClaimTypeArray{corev1.PersistentVolumeClaimTypeArgs{
				Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String("data"), Labels: pulumi.ToStringMap(labels)},
				Spec:     pvc,
			}},
		},
	}, append(child, pulumi.DependsOn([]pulumi.Resource{c.Service, c.Claim}))...)
	if err != nil {
		return nil, err
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"url": pulumi.String(c.URL)}); err != nil {
		return nil, err
	}
	return c, nil
}
