import 'uplot/dist/uPlot.min.css';
import { SimpleGrid, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { api, ok } from '../../api/client';
import { ErrorNotice, Loading } from '../../components/Feedback';

const REFRESH_MS = 15_000;

interface Series {
  label: string;
  values: number[];
  color: string;
}

function Chart({ title, times, series, unit }: { title: string; times: number[]; series: Series[]; unit: string }) {
  const target = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!target.current) return;
    const plot = new uPlot(
      {
        title,
        width: 360,
        height: 200,
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2 }))],
        axes: [{}, { label: unit }],
      },
      [times, ...series.map((s) => s.values)],
      target.current,
    );
    return () => plot.destroy();
  }, [title, times, series, unit]);
  // The chart is drawn on a canvas; its summary is given to assistive technology in words.
  const latest = series.map((s) => `${s.label}: ${s.values.at(-1) ?? 0} ${unit}`).join(', ');
  return <div ref={target} role="img" aria-label={`${title}. Latest minute: ${latest}.`} />;
}

/** Charts of the database's measured data-endpoint traffic; says so plainly when nothing was measured. */
export default function HealthCharts({ databaseId }: { databaseId: string }) {
  const traffic = useQuery({
    queryKey: ['traffic', databaseId],
    queryFn: () => ok(api.GET('/v2/databases/{databaseId}/traffic', { params: { path: { databaseId } } })),
    refetchInterval: REFRESH_MS,
  });
  if (traffic.isPending) return <Loading label="Loading measurements…" />;
  if (!traffic.data) return <ErrorNotice error={traffic.error} />;
  const points = traffic.data.points;
  if (points.length === 0) {
    return (
      <Text c="dimmed" data-testid="no-traffic">
        No requests to this database's data endpoints have been measured in the last {traffic.data.minutes} minutes, so
        there is nothing to chart yet. Charts appear once applications call its API endpoint.
      </Text>
    );
  }
  const times = points.map((p) => Date.parse(p.at) / 1000);
  return (
    <SimpleGrid cols={{ base: 1, lg: 3 }}>
      <Chart
        title="Requests per second"
        unit="req/s"
        times={times}
        series={[
          { label: 'Requests', color: '#1c7ed6', values: points.map((p) => Math.round((p.requests / 60) * 100) / 100) },
        ]}
      />
      <Chart
        title="Latency"
        unit="ms"
        times={times}
        series={[
          { label: 'p50', color: '#2f9e44', values: points.map((p) => Math.round(p.latencyMs.p50)) },
          { label: 'p95', color: '#f08c00', values: points.map((p) => Math.round(p.latencyMs.p95)) },
          { label: 'p99', color: '#e03131', values: points.map((p) => Math.round(p.latencyMs.p99)) },
        ]}
      />
      <Chart
        title="Errors per minute"
        unit="errors"
        times={times}
        series={[{ label: 'Errors', color: '#e03131', values: points.map((p) => p.errors) }]}
      />
    </SimpleGrid>
  );
}
