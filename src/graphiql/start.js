"use strict";
// GraphiQL on this server (served by src/graphiql/serve.ts, outside production only). Operations
// are POSTed as JSON to the path this page was loaded from, so behind a path prefix too; the
// Headers pane's JSON is added to each request (an API key: {"Authorization": "Bearer KEY"}) and,
// GraphiQL's default, not kept in the browser's storage. ?query=, ?variables= and ?operationName=
// in the page's address open in the editor: a link can hold a query to try.

(function start() {
  const params = new URLSearchParams(window.location.search);
  const props = {
    // The server has no @defer or subscriptions: plain JSON answers.
    fetcher: GraphiQL.createFetcher({ url: window.location.pathname, enableIncrementalDelivery: false }),
    defaultEditorToolsVisibility: true,
    defaultQuery: [
      "# Passerelle's GraphQL API. Run with Ctrl-Enter (Cmd-Enter on a Mac); the Docs pane",
      "# (the book icon) lists every query, mutation and type. Writes need an API key: in",
      "# Headers below, {\"Authorization\": \"Bearer KEY\"}.",
      "{",
      "  regions {",
      "    slug",
      "    name",
      "  }",
      "}",
      "",
    ].join("\n"),
  };
  for (const name of ["query", "variables", "operationName"]) {
    if (params.has(name)) props[name] = params.get(name);
  }
  ReactDOM.createRoot(document.getElementById("graphiql")).render(React.createElement(GraphiQL, props));
})();
