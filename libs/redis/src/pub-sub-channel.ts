import { redisDatabase } from './redis-connection';

/**
 * A pub/sub channel of one deployment. Redis delivers a message to every subscriber of its channel
 * on the server, whatever database each selected, so the database number joins the key prefix in
 * the name: two deployments on databases 0 and 1 of one server no longer hear each other's notices.
 */
export function pubSubChannel(redisUrl: string, prefix: string, topic: string): string {
  return `${prefix}:db${redisDatabase(redisUrl)}:${topic}`;
}
