package main

// oracle: reads {"data": <json>, "cases": [{"t": text, "mode": "default|zero|error"}]} from stdin,
// prints [{"out": ...} | {"err": ...}] executing each text as template "t" with data as dot.
import (
	"encoding/json"
	"os"
	"strings"
	"text/template"
)

type Case struct {
	T    string `json:"t"`
	Mode string `json:"mode"`
}

func main() {
	var in struct {
		Data  interface{} `json:"data"`
		Cases []Case      `json:"cases"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		panic(err)
	}
	out := []map[string]string{}
	for _, c := range in.Cases {
		mode := c.Mode
		if mode == "" {
			mode = "default"
		}
		t, err := template.New("t").Option("missingkey=" + mode).Parse(c.T)
		if err != nil {
			out = append(out, map[string]string{"perr": err.Error()})
			continue
		}
		var b strings.Builder
		if err := t.Execute(&b, in.Data); err != nil {
			out = append(out, map[string]string{"err": err.Error(), "partial": b.String()})
			continue
		}
		out = append(out, map[string]string{"out": b.String()})
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	enc.Encode(out)
}
