package register

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/google/go-github/v62/github"

	"github.com/pindrift/pindrift/internal/config"
)

// serverFile is the part of config.Server that registration decides; the
// rest keeps LoadServer's defaults. The keys are LoadServer's, and the
// tests load what is written with it.
type serverFile struct {
	Server struct {
		Address string `yaml:"address"`
		Port    int    `yaml:"port"`
	} `yaml:"server"`
	GitHub struct {
		WebURL   string `yaml:"web_url"`
		V3APIURL string `yaml:"v3_api_url"`
		V4APIURL string `yaml:"v4_api_url"`
		App      struct {
			IntegrationID int64  `yaml:"integration_id"`
			WebhookSecret string `yaml:"webhook_secret"`
			PrivateKey    string `yaml:"private_key"`
		} `yaml:"app"`
		OAuth struct {
			ClientID     string `yaml:"client_id"`
			ClientSecret string `yaml:"client_secret"`
		} `yaml:"oauth"`
	} `yaml:"github"`
	Database struct {
		URL string `yaml:"url"`
	} `yaml:"database"`
}

// configYAML renders the server configuration for the new App.
func configYAML(o Options, app *github.AppConfig) ([]byte, error) {
	var f serverFile
	f.Server.Address, f.Server.Port = config.DefaultAddress, config.DefaultPort
	f.GitHub.WebURL, f.GitHub.V3APIURL, f.GitHub.V4APIURL = o.GitHubURL, o.APIURL, graphQLURL(o.APIURL)
	f.GitHub.App.IntegrationID = app.GetID()
	f.GitHub.App.WebhookSecret = app.GetWebhookSecret()
	f.GitHub.App.PrivateKey = app.GetPEM()
	f.GitHub.OAuth.ClientID, f.GitHub.OAuth.ClientSecret = app.GetClientID(), app.GetClientSecret()
	f.Database.URL = config.DefaultDatabaseURL
	body, err := yaml.MarshalWithOptions(f, yaml.UseLiteralStyleIfMultiline(true))
	if err != nil {
		return nil, fmt.Errorf("render the configuration: %w", err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# bot serve configuration for the GitHub App %q (%s), written by bot register.\n", app.GetName(), app.GetHTMLURL())
	b.WriteString("# It holds the App's private key and webhook secret: keep it private.\n")
	b.WriteString("# server.port and database.url are defaults; see the README's Configuration.\n")
	b.Write(body)
	return b.Bytes(), nil
}

// graphQLURL is the GraphQL endpoint beside a REST API base URL.
func graphQLURL(api string) string {
	if strings.EqualFold(api, config.DefaultV3APIURL) {
		return config.DefaultV4APIURL
	}
	if base, ok := strings.CutSuffix(api, "/api/v3/"); ok {
		return base + "/api/graphql"
	}
	return api + "graphql"
}

// writeConfig writes the configuration with mode 0600: never over an
// existing file unless o.Force, and then by renaming a complete file into
// place so a failure leaves the old one whole.
func writeConfig(o Options, app *github.AppConfig) error {
	data, err := configYAML(o, app)
	if err != nil {
		return err
	}
	lost := fmt.Sprintf(" (the App exists: generate a new private key at %s and write the configuration by hand)", app.GetHTMLURL())
	if !o.Force {
		f, err := os.OpenFile(o.Out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			if errors.Is(err, os.ErrExist) {
				return fmt.Errorf("%s appeared while waiting for GitHub; not replacing it without --force%s", o.Out, lost)
			}
			return fmt.Errorf("write %s: %w%s", o.Out, err, lost)
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			return fmt.Errorf("write %s: %w%s", o.Out, err, lost)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("write %s: %w%s", o.Out, err, lost)
		}
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(o.Out), ".pindrift-register-*")
	if err != nil {
		return fmt.Errorf("write %s: %w%s", o.Out, err, lost)
	}
	defer os.Remove(tmp.Name()) // after the rename there is nothing to remove
	if err := errors.Join(tmp.Chmod(0o600), write(tmp, data), tmp.Sync(), tmp.Close()); err != nil {
		return fmt.Errorf("write %s: %w%s", o.Out, err, lost)
	}
	if err := os.Rename(tmp.Name(), o.Out); err != nil {
		return fmt.Errorf("write %s: %w%s", o.Out, err, lost)
	}
	return nil
}

func write(f *os.File, data []byte) error {
	_, err := f.Write(data)
	return err
}
