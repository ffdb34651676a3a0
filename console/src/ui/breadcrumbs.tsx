import { hrefOf, type Network } from "../lib/routes.ts";

/** Network → namespace → group → item, each step a link but the last. */
export function Breadcrumbs({
  network,
  namespace,
  group,
  item,
}: {
  network: Network;
  namespace: string;
  group?: string;
  item?: string;
}) {
  const steps: { label: string; href: string }[] = [
    { label: "Namespaces", href: "#/namespaces" },
    { label: network, href: hrefOf({ page: "namespaces", network }) },
    { label: namespace, href: hrefOf({ page: "namespace", network, namespace }) },
  ];
  if (group !== undefined)
    steps.push({ label: group, href: hrefOf({ page: "group", network, namespace, group }) });
  if (group !== undefined && item !== undefined) {
    steps.push({ label: item, href: hrefOf({ page: "item", network, namespace, group, item }) });
  }
  return (
    <nav class="breadcrumbs" aria-label="Breadcrumb">
      <ol>
        {steps.map((step, index) => (
          <li key={step.href}>
            {index === steps.length - 1 ? (
              <span aria-current="page">{step.label}</span>
            ) : (
              <a href={step.href}>{step.label}</a>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
